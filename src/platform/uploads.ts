/**
 * Reading uploaded files. Multipart bodies are read only inside the Fastify context this
 * registers, so every other route refuses them (415) and no upload is buffered for a page that
 * takes none. The file arrives whole, as bytes in its form field, beside the form's text fields
 * (the kernel checks the CSRF token and the upload's field as for any form: decision 0039).
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";

export interface UploadLimits {
  /** The largest file accepted; a larger one is refused with 413 and nothing is kept. */
  maxBytes: number;
}

export function withUploads(
  app: FastifyInstance,
  limits: UploadLimits,
  register: (uploads: FastifyInstance) => void,
): void {
  void app.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: "keyValues",
      limits: { fileSize: limits.maxBytes, files: 1, fields: 10, fieldSize: 4096, parts: 11 },
    });
    register(uploads);
  });
}
