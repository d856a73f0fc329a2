// The GatewayError a synchronous call refuses with; fails the test when the call is accepted or throws anything else.
import { GatewayError } from "../../src/core/errors.ts";

export function gatewayRefusal(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("the call was accepted");
}
