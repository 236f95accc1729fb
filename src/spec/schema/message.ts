/**
 * Schema messages carry their hint along: zod keeps only a message string for built-in checks,
 * so a message is "what is wrong\nwhat to do" and the issue converter splits it at the newline.
 */
export function withHint(message: string, hint: string): string {
  return `${message}\n${hint}`;
}

export function splitHint(text: string): { message: string; hint?: string } {
  const newline = text.indexOf('\n');
  return newline < 0 ? { message: text } : { message: text.slice(0, newline), hint: text.slice(newline + 1) };
}

/** A failed check of a value: what is wrong and what to do. */
export interface Rejection {
  message: string;
  hint: string;
}
