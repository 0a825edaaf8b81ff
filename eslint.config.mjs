import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'packages/contracts/**', '.infra/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Domain code stays framework-free: it may import only its own siblings and the plain error kinds.
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@connectrpc/*',
                '@bufbuild/*',
                '@mikro-orm/*',
                'kafkajs',
                'ioredis',
                'pg',
                '@ordersystem/contracts/*',
              ],
              message: 'domain code imports no framework',
            },
            {
              group: ['../app/*', '../rpc/*', '../db/*', '../clients/*', '../events/*'],
              message: 'dependencies point inward',
            },
          ],
        },
      ],
    },
  },
);
