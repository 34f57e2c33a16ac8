import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [react()],
  test: {
    // pure modules run in node; component tests opt into jsdom with a docblock
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
    // a hang guard, not a speed check: the first antd render in jsdom is slow on a loaded machine
    testTimeout: 60_000,
  },
})
