// textToSpeech(input, model?, options): POST /v1/audio/speech; the answer is the audio itself, with its type.
import { type ResponseMeta, metaFrom } from "./meta.ts";
import { type InferenceOptions, callSettings, inferenceBody, inferenceHeaders, optionalModel, requireText } from "./options.ts";
import type { Transport } from "./transport.ts";

export interface TextToSpeechOptions extends InferenceOptions {
  /** The voice (`alloy`, `verse`, ...): required. */
  voice: string;
  /** `mp3` (the default), `opus`, `aac`, `flac`, `wav` or `pcm`. */
  responseFormat?: "mp3" | "opus" | "aac" | "flac" | "wav" | "pcm" | (string & {});
  /** 0.25 to 4.0. */
  speed?: number;
  /** How to speak (gpt-4o-mini-tts). */
  instructions?: string;
}

export interface SpeechResult extends ResponseMeta {
  /** The audio bytes. */
  audio: Uint8Array;
  /** Their media type, as the provider said (`audio/mpeg`). */
  contentType: string | null;
}

export async function textToSpeech(transport: Transport, input: string, model: string | undefined, options: TextToSpeechOptions): Promise<SpeechResult> {
  const voice = requireText(options?.voice, "voice");
  const body = inferenceBody(
    {
      model: optionalModel(model),
      input: requireText(input, "input"),
      voice,
      response_format: options.responseFormat,
      speed: options.speed,
      instructions: options.instructions,
    },
    options,
  );
  return transport.send(
    { method: "POST", path: "/v1/audio/speech", body, headers: inferenceHeaders(options), ...callSettings(options) },
    async (response) => ({ ...metaFrom(response), audio: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get("content-type") }),
  );
}
