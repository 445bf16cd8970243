// ESLint: the recommended JavaScript rules plus typescript-eslint's strict and stylistic type-checked rules
// over every TypeScript file. Prettier owns the layout (`prettier --check .` runs first in `npm run lint`);
// none of these rules is a layout rule, so nothing needs turning off for it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-artifacts/', 'fixtures/', 'coverage/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Log lines, errors and wire text print counts, ports, sizes and patterns: a number's, bigint's or
      // RegExp's text is well defined. Nullish values, objects and `any` in a template stay errors.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowRegExp: true, allowAny: false, allowBoolean: false, allowNullish: false },
      ],
      // `(error) => socket.destroy(error)` as a listener is the Node idiom; braces would add nothing.
      // A void call used as a value anywhere else is still reported.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Storage back ends and actors implement Promise-returning contracts; an `async` method that does not
      // await still turns every throw into a rejection, which a `Promise.resolve(...)` rewrite would not.
      '@typescript-eslint/require-await': 'off',
      // winston declares its transports (`new winston.transports.Console()`) as interfaces with a construct
      // signature, so this rule cannot see that they come from TransportStream's constructor.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // Without `noUncheckedIndexedAccess`, TypeScript types `match[2]`, `chunks[0]` or `record[key]` as always
      // present (and Node types `stdout.columns`, `stdin.isTTY` as always set), so this rule calls the checks
      // that guard them unnecessary; removing them would change behaviour on short matches and empty queues.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Protocol codecs and name rules match control bytes on purpose.
      'no-control-regex': 'off',
      // A leading underscore marks a parameter kept for its position (or a type-level check); `...rest`
      // destructuring drops the fields named beside it.
      // A signal handler installed before the server it stops exists reads a `let` assigned once, later.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // A test, a bench or a fixture recorder that assumes a value exists fails loudly at the `!` if it does
    // not, which is what it should do.
    files: ['**/*.test.ts', 'src/test-support/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // jest's asymmetric matchers (`expect.stringMatching(...)`, `expect.any(...)`) are typed `any`.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off' },
  },
);
