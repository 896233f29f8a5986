import { defineConfig } from 'vitest/config';
import unit from './vitest.unit.config';

/**
 * What `npm run mutate` runs against each mutant: the unit tests, without
 * re-importing every module per test file (Stryker switches mutants at run
 * time, so modules can stay loaded; `ignoreStatic` leaves out the mutants
 * that would need a fresh import).
 */
export default defineConfig({ ...unit, test: { ...unit.test, isolate: false } });
