// Type declarations of the ES module entry: the same names as the CommonJS entry.
import * as authingResign from './index.js';
export * from './index.js';
export default authingResign;
