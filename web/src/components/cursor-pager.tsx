import { Button, Group, Text } from "@mantine/core";
import type { useCursorPages } from "../lib/cursor-pages";

/** Previous / next buttons of a cursor-paged list, with the page number. */
export function CursorPager({ pages, nextCursor }: { pages: ReturnType<typeof useCursorPages>; nextCursor: string | null | undefined }) {
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed">
        Page {pages.page}
      </Text>
      <Group>
        <Button variant="default" disabled={pages.page === 1} onClick={pages.previous}>
          Previous page
        </Button>
        <Button variant="default" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
          Next page
        </Button>
      </Group>
    </Group>
  );
}
