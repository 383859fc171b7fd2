import { mount } from 'svelte';
import { config } from 'zod';
import App from './App.svelte';
import './styles/global.css';

// The page's Content-Security-Policy forbids eval; zod would otherwise try its compiled parsers once and
// log a CSP violation before falling back to the same checks without them.
config({ jitless: true });

const target = document.getElementById('app');
if (!target) throw new Error('the page has no #app element');
mount(App, { target });
