//go:build unix

package email

import (
	"errors"
	"net"
	"syscall"
)

// peerClosed reports whether the other end of nc has closed it or sent
// bytes that no one has read yet, without reading them and without
// waiting: a peek at the socket.
func peerClosed(nc net.Conn) bool {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	closed := false
	err = raw.Read(func(fd uintptr) bool {
		var b [1]byte
		n, _, rerr := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case errors.Is(rerr, syscall.EAGAIN), errors.Is(rerr, syscall.EWOULDBLOCK), errors.Is(rerr, syscall.EINTR):
		case rerr != nil, n >= 0: // reset, end of stream (0) or unread bytes
			closed = true
		}
		return true // done: never wait for the socket to become readable
	})
	return closed || err != nil
}
