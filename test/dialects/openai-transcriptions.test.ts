// The transcription form's decoding (fields read from text, the upload kept as a File, bad fields refused by name)
// and the usage keyway reads from a transcription answer.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/core/errors.ts";
import { decodeTranscriptionForm, openAITranscriptions } from "../../src/dialects/openai-chat/transcriptions.ts";
import { transcriptionUsage } from "../../src/gateway/transcription-answer.ts";
import { gatewayRefusal } from "../helpers/gateway-refusal.ts";

const file = new File([new Uint8Array(10)], "a.mp3", { type: "audio/mpeg" });

const refusal = (form: unknown): GatewayError => gatewayRefusal(() => decodeTranscriptionForm(form));

describe("decoding the transcription form", () => {
  test("fields are read as OpenAI means them; unknown ones pass through; the file stays the upload", () => {
    const body = decodeTranscriptionForm({
      file,
      model: "whisper-1",
      temperature: "0.5",
      stream: "false",
      "timestamp_granularities[]": ["word", "segment"],
      include: "logprobs",
      routing: '{"strategy":"direct"}',
      "chunking_strategy[type]": "server_vad",
      language: ["fr", "de"],
    });
    expect(body).toEqual({
      file,
      model: "whisper-1",
      temperature: 0.5,
      stream: false,
      timestamp_granularities: ["word", "segment"],
      include: ["logprobs"],
      routing: { strategy: "direct" },
      "chunking_strategy[type]": "server_vad",
      language: "de",
    });
    expect(openAITranscriptions.bodyFormat).toBe("multipart");
    expect(openAITranscriptions.decode({ file, model: "m" }, new Headers()).endpoint).toBe("transcriptions");
  });

  test("each bad field is refused by name", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ model: "whisper-1" }, "file"],
      [{ file: "text", model: "whisper-1" }, "file"],
      [{ file: [file, file], model: "whisper-1" }, "file"],
      [{ file: new File([], "empty.mp3"), model: "whisper-1" }, "file"],
      [{ file }, "model"],
      [{ file, model: "" }, "model"],
      [{ file, model: "whisper-1", prompt: file }, "prompt"],
      [{ file, model: "whisper-1", temperature: "" }, "temperature"],
      [{ file, model: "whisper-1", temperature: "1.5" }, "temperature"],
      [{ file, model: "whisper-1", stream: "yes" }, "stream"],
      [{ file, model: "whisper-1", response_format: "wav" }, "response_format"],
      [{ file, model: "whisper-1", "timestamp_granularities[]": "char" }, "timestamp_granularities"],
      [{ file, model: "whisper-1", routing: "[1" }, "routing"],
      [{ file, model: "whisper-1", routing: "[1]" }, "routing"],
    ];
    for (const [form, param] of cases) {
      const error = refusal(form);
      expect(error.code).toBe("invalid_request");
      expect(error.param?.startsWith(param)).toBe(true);
    }
  });
});

describe("the usage of a transcription answer", () => {
  test("tokens as reported; a duration (usage or verbose_json's) as whole seconds of input; nothing when none", () => {
    expect(transcriptionUsage({ text: "x", usage: { type: "tokens", input_tokens: 14, output_tokens: 45, total_tokens: 59 } })).toEqual({ prompt_tokens: 14, completion_tokens: 45, total_tokens: 59 });
    expect(transcriptionUsage({ text: "x", usage: { type: "duration", seconds: 8.2 } })).toEqual({ prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 });
    expect(transcriptionUsage({ text: "x", duration: 2 })).toEqual({ prompt_tokens: 2, completion_tokens: 0, total_tokens: 2 });
    expect(transcriptionUsage({ text: "x" })).toBeUndefined();
    expect(transcriptionUsage({ text: "x", usage: { type: "duration", seconds: -1 } })).toBeUndefined();
  });
});
