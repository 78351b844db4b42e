package io.clfs.log;

/** An append asks for more reserved space than the reservation holds. */
public class ReservationExceededException extends ClfsException {
    private static final long serialVersionUID = 1L;

    public ReservationExceededException(String message) {
        super(message);
    }
}
