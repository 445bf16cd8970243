import type { StateValue } from 'xstate';

/** A state value as one readable path: `uploading.receiving`. */
export function stateName(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, child]) =>
      child && (typeof child === 'string' || Object.keys(child).length > 0) ? `${key}.${stateName(child)}` : key,
    )
    .join(',');
}
