import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';

export interface SingleFileUploadOptions {
  /** The file's limit: multer stops reading there, so a larger upload is never held whole. */
  readonly maxBytes: number;
  /** Form fields allowed beside the file (each at most 1 kB). */
  readonly fields: number;
  /** Said when the file is over the limit (413). */
  readonly tooLarge: string;
  /** Said for anything else wrong with the body (400). */
  readonly unreadable: string;
}

/** Reads a multipart body's one file into memory as `req.file`, with its form fields. */
export type SingleFileUpload = (req: Request, res: Response) => Promise<void>;

/**
 * One in-memory upload of a single field named `file`, for the people import and /verify:
 * one file, a few small fields, and an error in words for each way it can fail.
 */
export function singleFileUpload(options: SingleFileUploadOptions): SingleFileUpload {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: options.maxBytes,
      files: 1,
      fields: options.fields,
      fieldSize: 1024,
      parts: options.fields + 1,
    },
  }).single('file');
  return (req, res) =>
    new Promise<void>((resolve, reject) => {
      upload(req, res, (error: unknown) => {
        if (!error) resolve();
        else if (error instanceof MulterError && error.code === 'LIMIT_FILE_SIZE') {
          reject(new PayloadTooLargeException(options.tooLarge));
        } else reject(new BadRequestException(options.unreadable));
      });
    });
}
