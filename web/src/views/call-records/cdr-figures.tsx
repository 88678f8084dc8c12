import { Anchor, Badge, Paper, SimpleGrid, Text, Title } from "@mantine/core";
import type { CallRecordDetail } from "../../api/call-records";
import { costText, isPoorMos, jitterText, lossText, mosText, NOT_REPORTED, perMinuteText } from "../../lib/quality-format";

type Figures = Pick<CallRecordDetail, "quality" | "cost" | "amdResult" | "recordingUrl" | "cxTrunkId" | "cxRoute">;

function Figure({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a labelled group of text, not form controls; a fieldset would bring form semantics and browser borders.
    <div role="group" aria-label={label}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function Mos({ value }: { value: number | null | undefined }) {
  return (
    <>
      {mosText(value)}
      {isPoorMos(value) && (
        <Badge ml={6} size="xs" color="red" variant="light">
          poor
        </Badge>
      )}
    </>
  );
}

const textOr = (value: string | null | undefined) => value ?? NOT_REPORTED;

/** What the call's CDR said about its sound, its cost and its route: each "not reported" when it did not. */
export function CdrFigures({ record }: { record: Figures }) {
  // A Worker from before these figures (during a deploy) sends none: read as not reported.
  const quality: Partial<Figures["quality"]> = record.quality ?? {};
  const cost: Partial<Figures["cost"]> = record.cost ?? {};
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="cdr-figures-title">
      <Title order={2} size="h4" mb="sm" id="cdr-figures-title">
        Quality and cost
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label="MOS received">
          <Mos value={quality.mosRx} />
        </Figure>
        <Figure label="MOS sent">
          <Mos value={quality.mosTx} />
        </Figure>
        <Figure label="Jitter">{jitterText(quality.jitterMs)}</Figure>
        <Figure label="Packet loss">{lossText(quality.packetLossPct)}</Figure>
        <Figure label="Rated cost">{costText(cost.rated)}</Figure>
        <Figure label="Sell cost">{costText(cost.sell)}</Figure>
        <Figure label="Rated cost per minute">{perMinuteText(cost.ratedPerMinute)}</Figure>
        <Figure label="Sell cost per minute">{perMinuteText(cost.sellPerMinute)}</Figure>
        <Figure label="Answering machine detection">{textOr(record.amdResult)}</Figure>
        <Figure label="Recording">
          {record.recordingUrl ? (
            <Anchor href={record.recordingUrl} target="_blank" rel="noreferrer">
              Open recording
            </Anchor>
          ) : (
            NOT_REPORTED
          )}
        </Figure>
        <Figure label="Cloudonix trunk">
          <span className={record.cxTrunkId ? "mono" : undefined}>{textOr(record.cxTrunkId)}</span>
        </Figure>
        <Figure label="Cloudonix route">
          <span className={record.cxRoute ? "mono" : undefined}>{textOr(record.cxRoute)}</span>
        </Figure>
      </SimpleGrid>
    </Paper>
  );
}
