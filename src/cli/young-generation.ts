/**
 * Keeps V8's young generation at its starting size (1 MiB per semi-space) instead of letting it grow to
 * 16 MiB: when hundreds of connections arrive at once, the grown semi-spaces were most of the RSS each
 * idle connection seemed to hold. V8 reads the growth factor at each scavenge, so setting it here works
 * after start-up (the size flags do not: they are read once, when the heap is made).
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
