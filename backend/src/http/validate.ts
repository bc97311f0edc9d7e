import type { Request } from "express";
import type { z } from "zod";
import { AppError } from "@arena/shared";

/** One zod issue as clients see it: where and what, never the offending value. */
export interface ValidationDetail {
  /** Dotted path of the field ("" for the whole body). */
  path: string;
  /** Human-readable reason. */
  message: string;
}

function fail(where: string, error: z.ZodError): never {
  const details: ValidationDetail[] = error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  const first = details[0];
  const summary = first ? `${first.path || where}: ${first.message}` : "invalid";
  throw new AppError("VALIDATION_FAILED", `Invalid ${where}: ${summary}.`, undefined, details);
}

/** Parses `req.body` with `schema`; throws AppError VALIDATION_FAILED (zod issues as details). */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const parsed = schema.safeParse(req.body ?? undefined);
  if (!parsed.success) fail("body", parsed.error);
  return parsed.data;
}

/** Parses `req.query` with `schema`; throws AppError VALIDATION_FAILED (zod issues as details). */
export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success) fail("query", parsed.error);
  return parsed.data;
}
