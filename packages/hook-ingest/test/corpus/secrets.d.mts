export interface TextCase {
  kind: string;
  name: string;
  text: string;
}
export interface SecretTextCase extends TextCase {
  secrets: string[];
}
export interface ValueCase {
  kind: string;
  name: string;
  value: unknown;
}
export interface SecretValueCase extends ValueCase {
  secrets: string[];
}
export const mustGo: SecretTextCase[];
export const mustGoValues: SecretValueCase[];
export const mustStay: TextCase[];
export const mustStayValues: ValueCase[];
