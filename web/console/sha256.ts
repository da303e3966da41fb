/**
 * SHA-256 and HMAC-SHA-256 for @smithy/signature-v4 in the browser, on WebCrypto: the signer
 * asks for a class with update/digest/reset (its Checksum interface); a secret makes it an HMAC.
 * WebCrypto hashes whole messages, so update collects the parts.
 */
import type { Checksum, SourceData } from '@smithy/types';

const encoder = new TextEncoder();

function bytesOf(data: SourceData): Uint8Array {
  if (typeof data === 'string') return encoder.encode(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

export class WebCryptoSha256 implements Checksum {
  private parts: Uint8Array[] = [];
  private readonly secret: Uint8Array<ArrayBuffer> | undefined;

  constructor(secret?: SourceData) {
    // A copy, so WebCrypto gets a plain ArrayBuffer-backed key.
    this.secret = secret === undefined ? undefined : new Uint8Array(bytesOf(secret));
  }

  update(data: Uint8Array): void {
    this.parts.push(bytesOf(data));
  }

  async digest(): Promise<Uint8Array> {
    const message: Uint8Array<ArrayBuffer> = new Uint8Array(
      this.parts.reduce((sum, part) => sum + part.length, 0),
    );
    let offset = 0;
    for (const part of this.parts) {
      message.set(part, offset);
      offset += part.length;
    }
    if (this.secret === undefined) {
      return new Uint8Array(await crypto.subtle.digest('SHA-256', message));
    }
    const key = await crypto.subtle.importKey(
      'raw',
      this.secret,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
  }

  reset(): void {
    this.parts = [];
  }
}
