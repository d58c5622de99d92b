import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/no-network.mjs'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // LibreOffice conversions and CLI runs are processes of their own; two cores are all we have.
    maxWorkers: 2,
  },
});
