import { afterAll, vi } from 'vitest';

/**
 * The engine files share their worker's process (vitest `isolate: false`), so node_modules (the SDK, Playwright)
 * load once per worker instead of once per file. Each file still gets its own copy of the project's modules, as
 * a Lambda's cold start does (config, clients and key caches built for its runtime, not the last file's), and
 * gets back the process.env it started with.
 */
vi.resetModules();
const env = { ...process.env };
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
});
