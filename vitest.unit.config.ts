import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/** The unit tests alone (no engines, no network): `npm run test:unit`, and what `npm run mutate` runs against each mutant. */
export default defineConfig({ ...base, test: { ...base.test, include: ['test/unit/**/*.test.ts'], pool: 'threads', globalSetup: [] } });
