import { defineConfig } from 'vitest/config';
import { COMMON, UNIT_TESTS } from './vitest.config';

/** The unit tests alone (no engines, no network), each file isolated: `npm run test:unit`. */
export default defineConfig({ test: { ...COMMON, include: [UNIT_TESTS], pool: 'threads' } });
