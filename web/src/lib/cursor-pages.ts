import { useState } from "react";

/**
 * Where a keyset-paged list is: the API only pages forward, so the cursors of the pages passed
 * are kept to go back. Changing a filter must reset: a cursor only fits the filters it came with.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    /** The current page's cursor; undefined on the first page. */
    cursor: cursors.at(-1),
    /** 1 for the first page. */
    page: cursors.length + 1,
    previous: () => setCursors((c) => c.slice(0, -1)),
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    reset: () => setCursors([]),
  };
}
