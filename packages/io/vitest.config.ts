import { spredTestConfig } from '../../vitest.shared.js';
export default spredTestConfig;
