// A text-to-speech answer in IndoxRouter's shape: keyway relays the provider's audio bytes, the IndoxRouter client
// expects JSON `{success, data: {url}}`, so the audio goes back as a data: URL with its content type.

export interface SpeechAnswerInput {
  audio: Uint8Array;
  contentType: string;
  provider: string | null;
  model: string | null;
  byok: boolean;
}

export function speechAnswer({ audio, contentType, provider, model, byok }: SpeechAnswerInput): Record<string, unknown> {
  const type = contentType.split(";")[0]?.trim() || "application/octet-stream";
  return {
    success: true,
    message: "",
    provider,
    model,
    data: { url: `data:${type};base64,${Buffer.from(audio).toString("base64")}`, content_type: type, bytes: audio.byteLength },
    byok_api_key: byok,
  };
}
