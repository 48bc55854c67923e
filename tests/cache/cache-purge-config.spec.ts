import "reflect-metadata";
import { ConfigError, loadConfig } from "../../src/config";

describe("CACHE_PURGE_URL", () => {
  it("is off unless set", () => {
    expect(loadConfig({}).cache.purgeUrl).toBeNull();
    expect(loadConfig({ CACHE_PURGE_URL: "" }).cache.purgeUrl).toBeNull();
  });

  it("takes an http or https URL", () => {
    expect(loadConfig({ CACHE_PURGE_URL: "http://127.0.0.1:6081/" }).cache.purgeUrl).toBe("http://127.0.0.1:6081/");
    expect(loadConfig({ CACHE_PURGE_URL: "https://edge.example/purge" }).cache.purgeUrl).toBe("https://edge.example/purge");
  });

  it.each(["varnish:6081", "ftp://edge.example/", "not a url"])("refuses %s, naming the variable and the value", (value) => {
    expect(() => loadConfig({ CACHE_PURGE_URL: value })).toThrow(ConfigError);
    expect(() => loadConfig({ CACHE_PURGE_URL: value })).toThrow(/CACHE_PURGE_URL must be an http:\/\/ or https:\/\/ URL/);
  });

  it("does not repeat a password in its message", () => {
    expect(() => loadConfig({ CACHE_PURGE_URL: "ftp://user:secret@edge.example/" })).toThrow(/^(?!.*secret)/);
  });
});
