/** The transfer protocol's entry point: its connections and its descriptor. */
export * from './connections';
