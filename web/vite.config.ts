import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// A URL's path, not node:url: this file is type-checked with the pages (DOM types, no Node).
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

/**
 * Two pages, one build: the operator console at /console/ and the customer's
 * downloads at /account/downloads, sharing their hashed bundles under
 * /dd-assets/ (a prefix a storefront is unlikely to use). The local runtime
 * serves web/dist; in AWS, CloudFront does.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'dd-assets',
    sourcemap: true,
    rollupOptions: {
      input: {
        console: `${root}console/index.html`,
        account: `${root}account/downloads/index.html`,
      },
    },
  },
});
