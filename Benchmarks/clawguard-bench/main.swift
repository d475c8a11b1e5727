import ClawGuardCore
import ClawGuardScanners

@main
struct Bench {
    static func main() {
        print("benchmarks: not implemented yet")
    }
}
