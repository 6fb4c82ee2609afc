// See esm-bridge.setup.ts: jest (before Node 24.9) cannot require() an ES module from CommonJS, so
// the CommonJS @nestjs/throttler gets the ESM @nestjs/common and @nestjs/core the test loaded.
const { createHash } = require('node:crypto');

const NEST_REQUIRE = /require\("(@nestjs\/(?:common|core))"\)/g;

module.exports = {
  process(source) {
    return {
      code: source.replace(NEST_REQUIRE, (_, name) => `globalThis.__nestEsmBridge[${JSON.stringify(name)}]`),
    };
  },
  getCacheKey(source, path) {
    return createHash('sha256').update('esm-bridge-1').update(path).update(source).digest('hex');
  },
};
