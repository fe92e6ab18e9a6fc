// Lint rules that hold the architecture: pure folders (lib/domain, lib/analysis, lib/detect, lib/format, lib/sim)
// import nothing from the server, React or Next; type-only imports are marked as such.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const serverOrUi = {
  patterns: [
    { group: ['@/lib/server/*', '@/ingest/*', 'server-only', 'node:*'], message: 'Pure modules must not depend on server code or Node I/O.' },
    { group: ['react', 'react-dom', 'next', 'next/*'], message: 'Pure modules must not depend on React or Next.' },
  ],
};

const config = [
  { ignores: ['.next/**', 'node_modules/**', 'data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lib/domain/**', 'lib/analysis/**', 'lib/detect/**', 'lib/format/**', 'lib/sim/**'],
    rules: { 'no-restricted-imports': ['error', serverOrUi] },
  },
  {
    files: ['components/**', 'lib/queries/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/lib/server/*', '@/ingest/*'], allowTypeImports: true, message: 'Client code may import server modules as types only.' }] },
      ],
    },
  },
];

export default config;
