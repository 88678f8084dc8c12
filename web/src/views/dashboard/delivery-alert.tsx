import { Link } from "react-router";
import { Alert, Anchor, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useDeliverySummary } from "../../api/debugger";
import { percent } from "../../lib/format";
import { ROUTE_DELIVERIES } from "../../routes";

/**
 * Warns when Cloudonix deliveries are failing (the API decides the threshold: at least 5% of
 * at least 20 in 15 minutes) or when messages sit in the dead-letter table; links to the
 * debugger filtered on them. Says nothing while the summary is unavailable.
 */
export function DeliveryAlert() {
  const { data } = useDeliverySummary();
  if (!data || (!data.failing && data.parkedDeadLetters === 0)) return null;
  const parked = data.parkedDeadLetters;
  return (
    <Alert color="red" role="alert" title="Deliveries need attention" icon={<IconAlertTriangle size={18} aria-hidden />} data-testid="delivery-alert">
      <Stack gap={4}>
        {data.failing && (
          <Text size="sm">
            {data.failed} of {data.deliveries} webhook deliveries failed in the last 15 minutes ({percent(data.failureRate)}).{" "}
            <Anchor component={Link} to={`${ROUTE_DELIVERIES}?status=failed&range=15m`} size="sm">
              See the failed deliveries
            </Anchor>
          </Text>
        )}
        {parked > 0 && (
          <Text size="sm">
            {parked} dead letter{parked === 1 ? " is" : "s are"} parked: messages the queues could not store.{" "}
            <Anchor component={Link} to={`${ROUTE_DELIVERIES}?tab=dead-letters&status=parked&range=all`} size="sm">
              Review the dead letters
            </Anchor>
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
