import { useState } from 'react';

/** The page token to ask for, and the history of tokens so "previous" works with forward-only cursors. */
export function useCursor() {
  const [stack, setStack] = useState<string[]>(['']);
  return {
    token: stack[stack.length - 1] ?? '',
    hasPrevious: stack.length > 1,
    next: (t: string) => setStack((s) => [...s, t]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack(['']),
  };
}

export type Cursor = ReturnType<typeof useCursor>;
