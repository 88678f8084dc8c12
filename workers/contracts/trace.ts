import type { PickTrace } from "../routing/call-flow";
import type { DecisionTrace } from "../routing/decide";

/**
 * A call's routing trace as its CallSession records it and the records API returns it: the
 * plan's decision (rules tried, rule, notes, schedule), each pick of the call flow, and the
 * updates that changed nothing. Records of older versions may lack fields; readers are lenient.
 */
export type CallTrace = DecisionTrace & { picks: PickTrace[]; refused: string[] };
