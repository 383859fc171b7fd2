// Lint: typescript-eslint + svelte, and the process layering of ARCHITECTURE.md as import rules
// (VS Code enforces its layers the same way, with a lint rule per folder).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'http',
  'https',
  'net',
  'url',
  'stream',
  'zlib',
];
const layer = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const forbid = (group, message) => ({ group, message });

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'release/',
      'output/',
      'tests/fixtures/generated/',
      'coverage/',
      '.scratch/',
      'docs/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['src/renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Layering: shared imports nothing of ours and no Node; the engine never imports electron;
  // the renderer sees only shared and the preload's API type; electron lives in main and preload.
  {
    files: ['src/shared/**/*.ts'],
    rules: layer([
      forbid(
        ['**/engine/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/cli/**', '**/web/**'],
        'src/shared imports nothing else of ours.',
      ),
      forbid(
        ['electron', ...nodeBuiltins],
        'src/shared runs everywhere, the renderer included: no Node, no electron.',
      ),
    ]),
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: layer([
      forbid(['electron'], 'The engine never imports electron (ARCHITECTURE.md).'),
      forbid(
        ['**/main/**', '**/preload/**', '**/renderer/**', '**/cli/**', '**/web/**'],
        'The engine imports only src/shared.',
      ),
    ]),
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.svelte'],
    rules: layer([
      forbid(
        ['electron', ...nodeBuiltins],
        'The renderer never touches Node or electron: use the typed API.',
      ),
      forbid(
        ['**/engine/**', '**/main/**', '**/cli/**', '**/web/**'],
        'The renderer imports only src/shared and the preload API type.',
      ),
    ]),
  },
  {
    files: ['src/cli/**/*.ts', 'src/web/**/*.ts'],
    rules: layer([
      forbid(['electron'], 'The CLI and browser mode run without electron.'),
      forbid(['**/main/**', '**/preload/**', '**/renderer/**'], 'CLI and web import shared and engine only.'),
    ]),
  },
  {
    files: ['src/main/**/*.ts', 'src/preload/**/*.ts'],
    rules: layer([
      forbid(
        ['**/renderer/**', '**/cli/**', '**/web/**'],
        'The Electron shell does not import the renderer, the CLI or the web server.',
      ),
    ]),
  },
);
