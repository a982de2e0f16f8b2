// The core's public surface: what agent/ may import (always through this file).
export * from './algorithm.js';
export * from './config.js';
export * from './epoch-driver.js';
export * from './experiment.js';
export * from './params.js';
export * from './random.js';
export * from './result.js';
export * from './spec.js';
export * from './tracker.js';
export * from './traffic.js';
export * from './tasks.js';
export * from './train.js';
export * from './summarize.js';
export * from './stats.js';
export * from './classify.js';
