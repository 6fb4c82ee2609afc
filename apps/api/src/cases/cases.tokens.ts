/** Injection tokens for the ports the case module needs; the domain's interfaces stay framework-free. */
export const CLOCK = Symbol('Clock');
export const ID_GENERATOR = Symbol('IdGenerator');
export const CASE_DECIDER = Symbol('CaseDecider');
