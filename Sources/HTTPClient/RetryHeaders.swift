import Foundation

/// A wait the server announced before the next attempt (`RateLimit: …;r=0;t=N` or `Retry-After`).
public enum AnnouncedWait: Sendable, Equatable {
    /// Wait this many seconds (`t=N`, `Retry-After: N`).
    case seconds(TimeInterval)
    /// Wait until this time (`Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`).
    case until(Date)
}

/// Reads the waits an HTTP answer asks for before the next request (`RateLimit`, `Retry-After`).
public enum RetryHeaders {
    /// The wait a retried answer announces, as `huggingface_hub`'s `http_backoff` reads it: on a 429, the
    /// IETF `RateLimit` header (`"api";r=0;t=55`: no request left, reset in 55 s) when it says none remain;
    /// otherwise `Retry-After`, in seconds or (unlike huggingface_hub, which ignores it) as an HTTP-date.
    public static func announcedWait(_ response: HTTPResponse) -> AnnouncedWait? {
        if response.status == 429, let header = response.header("RateLimit"), let reset = rateLimitReset(header) {
            return .seconds(reset)
        }
        guard let raw = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return nil
        }
        if raw.allSatisfy(\.isASCII), raw.allSatisfy(\.isNumber) {
            return Double(raw).map { .seconds($0) }
        }
        return httpDate(raw).map { .until($0) }
    }

    /// The `t` (seconds to reset) of the first `RateLimit` item whose `r` (remaining) is 0; nil when requests
    /// remain or the header does not parse. Items are `"name";r=N;t=N`, separated by commas.
    public static func rateLimitReset(_ header: String) -> TimeInterval? {
        for item in header.split(separator: ",") {
            var parameters: [String: Int] = [:]
            for part in item.split(separator: ";").dropFirst() {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, let value = Int(pair[1]), value >= 0 { parameters[pair[0].lowercased()] = value }
            }
            if parameters["r"] == 0, let reset = parameters["t"] { return TimeInterval(reset) }
        }
        return nil
    }

    /// An HTTP-date (RFC 9110 §5.6.7): the IMF-fixdate form, or the obsolete RFC 850 and asctime forms.
    public static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
