// The peer event stores, loaded by the benchmark with a dynamic import() of this file so that bare
// specifiers resolve against bench/peers/node_modules, never against the project's own dependencies.
export * as sqlite from '@event-driven-io/emmett-sqlite';
export * as postgresql from '@event-driven-io/emmett-postgresql';
