#!/usr/bin/env node
// The `stir` command. It runs the TypeScript sources through tsx, so the CLI, the browser mode and the
// tests run the very same code with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
