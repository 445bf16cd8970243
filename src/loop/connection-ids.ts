/**
 * Connection ids, unique in the process: servers of several protocols in one
 * process (serve-all) share one log and one inspector, where `c3` must name
 * one connection only. TCP connections are `c1, c2, ...`, UDP peers `u1, ...`.
 */
const counters = { c: 0, u: 0 };

export const nextConnectionId = (prefix: 'c' | 'u'): string => `${prefix}${++counters[prefix]}`;
