// The core's public surface: what agent/ may import (always through this file).
export * from './config.js';
export * from './experiment.js';
export * from './params.js';
export * from './random.js';
export * from './result.js';
export * from './spec.js';
export * from './tracker.js';
export * from './tasks.js';
export * from './train.js';
export * from './summarize.js';
export * from './stats.js';
export * from './classify.js';
export * from './cache-model.js';
export * from './dmd-report.js';
export * from './dmd-tracker.js';
export * from './memory-instruments.js';
