/** How wide `--help` is drawn: the terminal's width (or $COLUMNS when not a terminal), at most 110 columns. */
export const helpWidth = (): number => Math.min(110, process.stdout.columns ?? (Number(process.env.COLUMNS) || 110));
