package org.neuronsimulator.wheel.repair;

import java.nio.file.Path;
import java.util.Map;
import org.neuronsimulator.wheel.audit.Policy;
import org.neuronsimulator.wheel.audit.WheelAudit;

/**
 * A repaired wheel.
 *
 * @param wheel   the written wheel
 * @param audit   the audit of the raw wheel
 * @param policy  the policy the wheel now satisfies
 * @param grafted original soname → path of the bundled copy inside the wheel
 */
public record RepairResult(Path wheel, WheelAudit audit, Policy policy, Map<String, String> grafted) {
}
