// The settings repository contract: installation-wide key/value rows (for example, the master-key canary).

export interface Setting {
  key: string;
  value: string;
}

export interface SettingsRepo {
  get(key: string): Promise<string | undefined>;
  /** Sets the value only when none is set; returns whether this call set it. */
  setIfAbsent(key: string, value: string): Promise<boolean>;
}
