/**
 * @nestjs/throttler is CommonJS and require()s @nestjs/common and @nestjs/core, which NestJS 12
 * ships as ES modules only. Node (>= 20.19) require()s ES modules natively, which is how the built
 * app runs; jest's module VM can do so only from Node 24.9. Until then the throttler's require()
 * of those two is rewritten (test/support/esm-bridge.transform.cjs) to read the very modules the
 * test itself imports, put here: one instance of each, as at run time.
 */
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';

(globalThis as { __nestEsmBridge?: Record<string, unknown> }).__nestEsmBridge = { '@nestjs/common': common, '@nestjs/core': core };
