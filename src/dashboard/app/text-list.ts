// Lists typed into one field (models, projects, IP ranges): split on commas, spaces and new lines, blanks dropped.

export const splitList = (text: string): string[] => text.split(/[\s,]+/).map((item) => item.trim()).filter((item) => item !== "");

export const joinList = (items: readonly string[] | null | undefined): string => (items ?? []).join(", ");
