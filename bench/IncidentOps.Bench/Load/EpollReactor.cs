using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace IncidentOps.Bench.Load;

/// <summary>
/// The receive side of thousands of bench screens on a few threads: each thread waits in <c>epoll_wait</c> on its share of
/// the sockets and, for each one that has bytes, calls <see cref="IReadable.OnReadable"/> (one blocking <c>recv</c> that
/// returns at once). What this saves against .NET's async sockets (what <c>ClientWebSocket</c> runs on): per frame
/// received, a thread-pool work item, a second <c>recv</c> that finds nothing, and the async machinery of the socket and the
/// WebSocket; at 5,000 screens that was ~0.65 of the machine's two cores, which the API under test shares
/// (bench/README.md, "Fan-out, session 29"). Written by hand because .NET exposes no readiness API over many sockets and
/// no package in reach does (Linux only, x64 and arm64, as the bench's machines are).
/// </summary>
public sealed partial class EpollReactor : IDisposable
{
    private const int MaxEvents = 256;
    private const uint EpollIn = 0x001;
    private const uint EpollRdHup = 0x2000;
    private const int Add = 1;
    private const int Delete = 2;
    private const int Interrupted = 4; // EINTR

    // struct epoll_event: packed on x64 (12 bytes, the data at offset 4), naturally aligned on arm64 (16 bytes, at 8).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly int[] _epolls;
    private readonly Thread[] _threads;
    private readonly ConcurrentDictionary<long, IReadable> _sockets = new();
    private volatile bool _stopping;
    private long _next;

    /// <summary>Something the reactor reads for: called on a reactor thread, never on two at once for one registration.</summary>
    public interface IReadable
    {
        void OnReadable();
    }

    public EpollReactor(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            throw new PlatformNotSupportedException("The bench's screens read through epoll: Linux on x64 or arm64 only.");
        }

        _epolls = [.. Enumerable.Range(0, threads).Select(_ => Check(EpollCreate1(0), "epoll_create1"))];
        _threads = [.. _epolls.Select((epoll, i) => new Thread(() => Run(epoll)) { IsBackground = true, Name = $"screens-epoll-{i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Watches <paramref name="fd"/> (level-triggered) until <see cref="Remove"/>; returns the registration.</summary>
    public long Watch(nint fd, IReadable readable)
    {
        var id = Interlocked.Increment(ref _next);
        _sockets[id] = readable;
        Span<byte> evt = stackalloc byte[16];
        WriteEvent(evt, EpollIn | EpollRdHup, (ulong)id);
        Check(EpollCtl(_epolls[id % _epolls.Length], Add, (int)fd, ref evt[0]), "epoll_ctl ADD");
        return id;
    }

    /// <summary>Stops watching (before the socket is closed); an event already taken for it is dropped.</summary>
    public void Remove(long id, nint fd)
    {
        if (_sockets.TryRemove(id, out _))
        {
            Span<byte> evt = stackalloc byte[16];
            EpollCtl(_epolls[id % _epolls.Length], Delete, (int)fd, ref evt[0]);
        }
    }

    private void Run(int epoll)
    {
        var events = new byte[MaxEvents * EventSize];
        while (!_stopping)
        {
            var ready = EpollWait(epoll, ref events[0], MaxEvents, 200);
            if (ready < 0 && Marshal.GetLastPInvokeError() != Interrupted)
            {
                throw new InvalidOperationException($"epoll_wait failed: errno {Marshal.GetLastPInvokeError()}");
            }

            for (var i = 0; i < ready; i++)
            {
                if (_sockets.TryGetValue((long)ReadData(events, i), out var readable))
                {
                    readable.OnReadable();
                }
            }
        }
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new InvalidOperationException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");

    public void Dispose()
    {
        _stopping = true;
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        foreach (var epoll in _epolls)
        {
            Close(epoll);
        }
    }

    /// <summary>Writes a <c>struct epoll_event</c> at <paramref name="at"/> (see <see cref="EventSize"/>).</summary>
    private static void WriteEvent(Span<byte> at, uint events, ulong data)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(at, events);
        BinaryPrimitives.WriteUInt64LittleEndian(at[DataOffset..], data);
    }

    private static ulong ReadData(ReadOnlySpan<byte> events, int index) =>
        BinaryPrimitives.ReadUInt64LittleEndian(events[(index * EventSize + DataOffset)..]);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epfd, int op, int fd, ref byte evt);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epfd, ref byte events, int maxEvents, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
