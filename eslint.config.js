import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.tap/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Use the world clock (src/core/clock.ts).' }],
    },
  },
  {
    files: ['src/core/clock.ts', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['scripts/**/*.js', 'bench/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
  },
  {
    // The dashboard: plain ES modules run by the browser.
    files: ['src/ui/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(['window', 'document', 'location', 'navigator', 'sessionStorage', 'fetch', 'URL', 'URLSearchParams', 'AbortController',
        'TextDecoderStream', 'setTimeout', 'clearTimeout', 'addEventListener', 'removeEventListener', 'confirm'].map((name) => [name, 'readonly'])),
    },
  },
);
