/**
 * A frontend's use of the types that openapi-typescript (default options) generates from the
 * live document. `make test-clients` compiles it with tsc --strict; nothing here runs.
 * Each `@ts-expect-error` line must NOT compile: if one did, the types would be too loose
 * (an untyped header, a detail of the wrong shape) and tsc would fail on the unused directive.
 */
import type { components, paths } from "./generated/api";

type Schemas = components["schemas"];
type ErrorCode = Schemas["ErrorCode"];
type CreateBooking = paths["/api/v1/bookings/"]["post"];
export type BookingRequest = CreateBooking["requestBody"]["content"]["application/json"];
export type Booking = CreateBooking["responses"][201]["content"]["application/json"];
type Conflict = CreateBooking["responses"][409]["content"]["application/json"];
type Unprocessable = CreateBooking["responses"][422]["content"]["application/json"];
type Throttled = paths["/api/v1/auth/token/"]["post"]["responses"][429];
type CreateHeaders = NonNullable<CreateBooking["parameters"]["header"]>;

// A form sends what the user typed: the note has a default on the server, so it may be left out.
export const request: BookingRequest = {
  resource_id: 1,
  start: "2030-01-07T09:00:00Z",
  end: "2030-01-07T10:00:00Z",
};
// @ts-expect-error the resource is required
export const incomplete: BookingRequest = { start: request.start, end: request.end };

// In a response every field is present, the default ones too.
export function label(booking: Booking): string {
  const status: Schemas["BookingStatus"] = booking.status;
  return `${booking.start} to ${booking.end} (${status}) ${booking.note.trim()}`;
}

// A 422 is a list of issues, each pointing at its field, whether the input was malformed
// (code validation_error) or broke a rule (the code names the rule).
export function fieldErrors(body: Unprocessable): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const issue of body.detail) {
    const field = issue.loc.slice(2).join(".") || "form";
    byField.set(field, [...(byField.get(field) ?? []), issue.msg]);
  }
  return byField;
}

export function summary(body: Unprocessable): string {
  switch (body.code) {
    case "validation_error":
      return "Please correct the marked fields.";
    case "booking_in_past":
      return "Choose a start in the future.";
    case "booking_end_before_start":
      return "The end must come after the start.";
    case "booking_too_long":
      return "That is longer than a booking may last.";
    case "booking_cap_reached":
      return "You have too many active bookings; cancel one first.";
    default:
      return body.detail[0]?.msg ?? "The booking was refused.";
  }
}

// The codes are an open set (docs/api.md, Errors): one added after these types were generated
// still type-checks, and a switch on the code needs its default branch.
export const laterCode: ErrorCode = "a_code_added_later";

// Any other error is a sentence for people and a code for programs.
export function conflictMessage(body: Conflict): string {
  return body.code === "booking_overlap" ? "Someone booked that time first." : body.detail;
}

export function notAList(body: Conflict): string {
  // @ts-expect-error detail is a string here: .map would be a TypeError at run time
  return body.detail.map((issue: unknown) => String(issue)).join("; ");
}

// A throttled login says when to try again.
export function retryAfterSeconds(response: Throttled): number {
  return response.headers["Retry-After"];
}

type Outcome =
  | { status: 201; body: Booking }
  | { status: 409; body: Conflict }
  | { status: 422; body: Unprocessable };

// The caller makes one key per booking it means, and sends it again with each retry: a retry
// after a lost answer gets the first booking instead of a second one.
export async function createBooking(
  baseUrl: string,
  token: string,
  body: BookingRequest,
  idempotencyKey: CreateHeaders["Idempotency-Key"] = crypto.randomUUID(),
): Promise<Outcome> {
  const response = await fetch(`${baseUrl}/api/v1/bookings/`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      "Idempotency-Key": idempotencyKey ?? crypto.randomUUID(),
    },
    body: JSON.stringify(body),
  });
  const status = response.status;
  if (status === 201 || status === 409 || status === 422) {
    return { status, body: await response.json() };
  }
  throw new Error(`unexpected status ${status}`);
}
