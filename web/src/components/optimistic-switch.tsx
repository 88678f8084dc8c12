import { useEffect, useRef, useState } from "react";
import { Badge, Switch } from "@mantine/core";
import { useCanWrite } from "../api/session";

interface Props {
  /** What the server holds. */
  checked: boolean;
  label: string;
  /** Saves the new state; resolves once the lists that show it are fresh again. */
  save(next: boolean): Promise<unknown>;
}

/**
 * Read-only users get the state as words: a disabled switch looks washed out whether it is on
 * or off, so a viewer could not tell which ones are enabled.
 */
function StateBadge({ checked, label }: { checked: boolean; label: string }) {
  return (
    <Badge variant={checked ? "light" : "outline"} color={checked ? "teal" : "gray"} title={label} data-testid="enabled-state">
      {checked ? "Enabled" : "Disabled"}
    </Badge>
  );
}

/**
 * An on/off switch for a saved setting, with immediate feedback: it shows the requested state
 * while the change is saved, then what the server holds (back where it was if the save failed).
 */
export function OptimisticSwitch({ checked, label, save }: Props) {
  const canWrite = useCanWrite();
  const [requested, setRequested] = useState<boolean | null>(null);
  // A save may settle after the row is gone (the list refreshed, the page left): nothing to go back then.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  if (!canWrite) return <StateBadge checked={checked} label={label} />;
  return (
    <Switch
      checked={requested ?? checked}
      disabled={requested !== null}
      aria-label={label}
      onChange={(event) => {
        const next = event.currentTarget.checked;
        setRequested(next);
        save(next)
          // The mutation has already said why in a toast; the switch only goes back.
          .catch(() => undefined)
          .finally(() => {
            if (mounted.current) setRequested(null);
          });
      }}
    />
  );
}
