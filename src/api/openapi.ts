/**
 * The OpenAPI 3.1 document, generated from the contracts the API kernel holds (zod 4's JSON
 * Schema output, draft 2020-12, which OpenAPI 3.1 uses as is). Nothing is written by hand, so
 * the document cannot drift from what the routes parse and answer.
 */
import { z } from "zod";
import { TOKEN_LIFETIME_SECONDS } from "./tokens.ts";
import type { ApiDeclaration } from "./kernel.ts";
import { Problem, problemTitles } from "./problem.ts";

type Schema = Record<string, unknown>;

/** A schema for a request (input) or response (output), its named parts under components. */
function schemaOf(schema: z.ZodType, io: "input" | "output", components: Record<string, Schema>) {
  const json = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    reused: "inline",
  }) as Schema;
  const defs = (json.$defs ?? {}) as Record<string, Schema>;
  delete json.$defs;
  delete json.$schema;
  for (const [name, def] of Object.entries(defs)) components[name] ??= def;
  const id = json.id;
  if (typeof id === "string") {
    delete json.id;
    components[id] ??= json;
    return { $ref: `#/components/schemas/${id}` };
  }
  return rewriteRefs(json);
}

function rewriteRefs(value: Schema): Schema {
  return JSON.parse(
    JSON.stringify(value).replace(/"#\/\$defs\//g, '"#/components/schemas/'),
  ) as Schema;
}

function parametersOf(where: "path" | "query", schema: z.ZodObject | undefined) {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, Schema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || (json.required ?? []).includes(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

const refusals: Record<string, string> = {
  "400": "What was sent is not valid; each field is named. Nothing was saved.",
  "401": "No access token, or one that is expired, not valid here, or for a revoked client.",
  "403":
    "The client is not registered for this permission, or sees the record only by emergency access.",
  "404": "Not found, or not visible to this client.",
  "429": "The client's rate limit is reached; see Retry-After.",
};

export function openApiDocument(routes: readonly ApiDeclaration[], serverUrl: string) {
  const components: Record<string, Schema> = {};
  const problemRef = schemaOf(Problem, "output", components);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (!route.contract || !route.url.startsWith("/api/v1/")) continue;
    const { contract } = route;
    const path = route.url.replace(/:([A-Za-z]+)/g, "{$1}");
    const problems = Object.fromEntries(
      Object.entries(refusals)
        .filter(([status]) => route.method === "POST" || status !== "400" || contract.query)
        .map(([status, description]) => [
          status,
          { description, content: { "application/problem+json": { schema: problemRef } } },
        ]),
    );
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: `${route.method.toLowerCase()}${path.replace(/[{}]/g, "").replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      tags: [route.tag],
      description: `Needs the permission \`${route.permission}\`; audited as \`${route.audit}\`.`,
      security: [{ clientCredentials: [] }],
      parameters: [
        ...parametersOf("path", contract.params),
        ...parametersOf("query", contract.query),
        ...(route.method === "POST"
          ? [
              {
                name: "Idempotency-Key",
                in: "header",
                required: false,
                description:
                  "Sending a create again with the same key returns the first result and creates nothing.",
                schema: { type: "string", maxLength: 200 },
              },
            ]
          : []),
      ],
      ...(contract.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": { schema: schemaOf(contract.body, "input", components) },
              },
            },
          }
        : {}),
      responses: {
        [String(route.status)]: {
          description: route.status === 201 ? "Created" : "OK",
          content: {
            "application/json": { schema: schemaOf(contract.response, "output", components) },
          },
        },
        ...problems,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Trellis API",
      version: "1.0.0",
      description:
        "Trellis' JSON API for partner systems. Every call is made by a registered client with an OAuth 2.0 client-credentials access token, sees only what the client's organisation may see, and is audited with the client as the actor. Errors are RFC 9457 problem details: " +
        Object.entries(problemTitles)
          .map(([kind, title]) => `${kind} (${title})`)
          .join(", ") +
        ".",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        clientCredentials: {
          type: "oauth2",
          description: `Tokens last ${String(TOKEN_LIFETIME_SECONDS)} seconds. Trellis' own token endpoint, or the council's authorisation server when configured.`,
          flows: { clientCredentials: { tokenUrl: "/api/oauth/token", scopes: {} } },
        },
      },
    },
  };
}
