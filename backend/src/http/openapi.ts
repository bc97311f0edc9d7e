import { z } from "zod";
import { ERRORS } from "@arena/shared";

/** One documented response. */
export interface RouteResponse {
  /** What the response means. */
  description: string;
  /** Body schema (JSON), when there is one. */
  schema?: z.ZodType;
}

/** One route as the OpenAPI document shows it; the schemas are the ones that validate the request. */
export interface RouteDoc {
  /** HTTP method (lower case). */
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Express-style path; `:param` segments are rendered as `{param}`. */
  path: string;
  /** One line: what the route does. */
  summary: string;
  /** Grouping in the document (e.g. "auth", "scores"). */
  tags?: string[];
  /** Request body schema (the same object the handler passes to `parseBody`). */
  body?: z.ZodType;
  /** Query schema (a `z.object`, the same object the handler passes to `parseQuery`). */
  query?: z.ZodObject;
  /** Security: "identity" (Bearer identity JWT), "service" (Bearer service JWT) or none. */
  security?: "identity" | "service" | "identity-or-refresh-cookie";
  /** Responses by status code. Error statuses get the shared error body by default. */
  responses: Record<number, RouteResponse>;
}

/** The shared error body of every 4xx/5xx answer. */
export const errorBodySchema = z.object({
  success: z.literal(false),
  error_code: z.enum(Object.keys(ERRORS) as [keyof typeof ERRORS, ...(keyof typeof ERRORS)[]]),
  message: z.string(),
  retry_after: z.number().int().optional(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  balance: z.number().int().optional().describe("INSUFFICIENT_POINTS: the current balance."),
  price: z.number().int().optional().describe("INSUFFICIENT_POINTS: what was asked for."),
});

// The API's static description: keyed by "METHOD path", so registering again (another
// backend instance in the same process, e.g. in tests) replaces rather than duplicates.
const routes = new Map<string, RouteDoc>();

/** Adds (or replaces) a route in the OpenAPI document. Call it next to the route's definition. */
export function registerRoute(doc: RouteDoc): void {
  routes.set(`${doc.method.toUpperCase()} ${doc.path}`, doc);
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });
}

/** Builds the OpenAPI 3.1 document from every registered route. */
export function buildOpenApiDocument(info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const sorted = [...routes.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const route of sorted) {
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    const parameters: unknown[] = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    if (route.query) {
      const shape = route.query.shape as Record<string, z.ZodType>;
      for (const [name, schema] of Object.entries(shape)) {
        parameters.push({ name, in: "query", required: !schema.safeParse(undefined).success, schema: jsonSchema(schema, "input") });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      const schema = response.schema ?? (Number(status) >= 400 ? errorBodySchema : undefined);
      responses[status] = {
        description: response.description,
        ...(schema ? { content: { "application/json": { schema: jsonSchema(schema, "output") } } } : {}),
      };
    }
    const operation: Record<string, unknown> = { summary: route.summary, tags: route.tags ?? [], responses };
    if (parameters.length) operation.parameters = parameters;
    if (route.body) operation.requestBody = { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } };
    if (route.security === "identity" || route.security === "identity-or-refresh-cookie") {
      operation.security = route.security === "identity" ? [{ identity: [] }] : [{ identity: [] }, { refreshCookie: [] }];
    } else if (route.security === "service") operation.security = [{ service: [] }];
    (paths[path] ??= {})[route.method] = operation;
  }
  return {
    openapi: "3.1.0",
    info,
    paths,
    components: {
      securitySchemes: {
        identity: { type: "http", scheme: "bearer", bearerFormat: "JWT (ES256 identity token)" },
        service: { type: "http", scheme: "bearer", bearerFormat: "JWT (ES256 game-server service token)" },
        refreshCookie: { type: "apiKey", in: "cookie", name: "arena_refresh" },
      },
    },
  };
}
