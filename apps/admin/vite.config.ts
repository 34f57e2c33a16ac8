import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The dashboard calls the API with relative URLs: in dev the API sits behind this proxy, in
// production and in the browser journeys behind the same origin. No API address is built in.
const apiProxy = {
  '/api': { target: process.env.YUYUE_API_URL ?? 'http://127.0.0.1:3000' },
}

// @yuyue/contracts re-exports its TypeBox schemas beside the constants and phone helpers we use;
// building a schema has no side effect, so unused ones (and TypeBox with them) can be dropped.
const treeshake = {
  moduleSideEffects: [{ test: /packages\/contracts\/src\/|node_modules\/.*typebox/, sideEffects: false }],
  manualPureFunctions: ['Type', 'Nullable', 'Paged'],
}
// In the worker, also: the schemas spread shared parts (`...PageQuery`), which would otherwise keep
// TypeBox alive. Not for the page: antd reads `offsetHeight` and the like to force reflows.
const workerTreeshake = { ...treeshake, propertyReadSideEffects: false as const }

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true, proxy: apiProxy },
  preview: { port: 4173, strictPort: true, proxy: apiProxy },
  // the import worker loads the XLSX reader with a dynamic import, which needs ES module workers
  worker: { format: 'es', rolldownOptions: { treeshake: workerTreeshake } },
  build: { chunkSizeWarningLimit: 700, rolldownOptions: { treeshake } },
})
